"""Where a question's posts were read from: `posts_marking`, the marking of the section heading they came from
when it is stricter than the tasking cable. A reader it is beyond does not know those posts, whatever audience
the question has of its own and wherever it has moved since. Questions made before it take their section's
marking where their posts are among their section's (a heading's posts copied when the question's own words
named none)."""
from django.db import migrations, models


def mark_inherited_posts(apps, schema_editor):
    Question = apps.get_model("tracker", "Question")
    Section = apps.get_model("tracker", "Section")
    marked = dict(Section.objects.exclude(marking="").values_list("pk", "marking"))
    if not marked:
        return
    section_posts: dict[int, set[int]] = {}
    for section_id, post_id in Section.posts.through.objects.filter(section_id__in=marked).values_list(
            "section_id", "post_id"):
        section_posts.setdefault(section_id, set()).add(post_id)
    question_posts: dict[int, set[int]] = {}
    sections: dict[int, int] = {}
    for question_id, section_id, post_id in Question.posts.through.objects.filter(
            question__section_id__in=marked).values_list("question_id", "question__section_id", "post_id"):
        question_posts.setdefault(question_id, set()).add(post_id)
        sections[question_id] = section_id
    inherited = [Question(pk=pk, posts_marking=marked[sections[pk]]) for pk, posts in question_posts.items()
                 if posts <= section_posts.get(sections[pk], set())]
    Question.objects.bulk_update(inherited, ["posts_marking"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0016_set_owner")]
    operations = [
        migrations.AddField(
            model_name="question", name="posts_marking",
            field=models.CharField(blank=True, default="", max_length=24, help_text=(
                "The marking of the section heading its posts were read from, where stricter than the tasking "
                "cable: a reader it is beyond does not know them. Empty: read from the question's own words.")),
        ),
        migrations.RunPython(mark_inherited_posts, migrations.RunPython.noop),
    ]
