"""A marking too garbled or unusual to read that still names a level or NOFORN at the head of a paragraph
("(C//NF//X1)") raises the access of that paragraph and of the unmarked text after it
(cables.markings.unread_marking_access): the rule of migration 0012 is applied again, with it, to the
cables that hold an unmarked paragraph opening with a parenthesis."""
from importlib import import_module

from django.db import migrations


def hold_unread_markings(apps, schema_editor):
    module = import_module("cables.migrations.0012_unmarked_paragraph_access")
    # only the cables with an unmarked paragraph that opens with a parenthesis, after a short label perhaps: a
    # store that ran 0012 with this rule already in the code is read again only where the rule can change something
    module.hold_unmarked_text(apps, schema_editor, only={"text__regex": r"^\s*([A-Za-z0-9]{1,3}[.)]\s*)?\("})


class Migration(migrations.Migration):
    dependencies = [("cables", "0012_unmarked_paragraph_access")]
    operations = [migrations.RunPython(hold_unread_markings, migrations.RunPython.noop)]
