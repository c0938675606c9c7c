"""The roles' permissions on requirement sets: analysts edit sets, sections and questions and decide
re-extraction's proposals; readers read; admins also edit posts."""
from django.db import migrations

from tracker.migrations._roles import grant_function, revoke_function

READ = ["tracker.view_requirementset", "tracker.view_section", "tracker.view_question", "tracker.view_post",
        "tracker.view_taskingcandidate"]
EDIT = ["tracker.add_requirementset", "tracker.change_requirementset", "tracker.add_section",
        "tracker.change_section", "tracker.add_question", "tracker.change_question", "tracker.view_proposal",
        "tracker.change_proposal", "tracker.view_requirementchange"]
ROLES = {
    "reader": READ,
    "analyst": READ + EDIT,
    "admin": READ + EDIT + ["tracker.add_post", "tracker.change_post"],
}


class Migration(migrations.Migration):
    dependencies = [("tracker", "0005_requirement_sets")]
    operations = [migrations.RunPython(grant_function(ROLES), revoke_function(ROLES))]
