"""The roles' permissions on responses: analysts log, edit and retract responses and decide suggestions;
readers read them."""
from django.db import migrations

from tracker.migrations._roles import grant_function, revoke_function

READ = ["tracker.view_response", "tracker.view_suggestion", "tracker.view_citation", "tracker.view_responsechange"]
EDIT = ["tracker.add_response", "tracker.change_response", "tracker.change_suggestion"]
ROLES = {"reader": READ, "analyst": READ + EDIT, "admin": READ + EDIT}


class Migration(migrations.Migration):
    dependencies = [("tracker", "0007_responses")]
    operations = [migrations.RunPython(grant_function(ROLES), revoke_function(ROLES))]
