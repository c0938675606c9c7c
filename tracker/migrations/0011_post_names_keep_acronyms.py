"""Post names made before acronyms kept their case ("Un Rome", "Un Security Council Collective") read as
they are now made ("UN Rome"). Only a name whose letters are unchanged but for their case is touched: a
name an admin wrote differently stays as written."""
from django.db import migrations


def recase(apps, schema_editor):
    from tracker.posts import post_name

    Post = apps.get_model("tracker", "Post")
    for post in Post.objects.all().only("pk", "name"):
        cased = post_name(post.name)
        if cased != post.name and cased.lower() == post.name.lower():
            Post.objects.filter(pk=post.pk).update(name=cased)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0010_suggestion_fewer_indexes")]
    operations = [migrations.RunPython(recase, migrations.RunPython.noop)]
