"""The response form's questions in a browser: a box to tick per question (tracker.forms.QuestionChoices)."""
from playwright.sync_api import Page, expect


def choose_questions(page: Page, pks) -> None:
    """Exactly these questions ticked, the others not."""
    wanted = {str(pk) for pk in pks}
    for box in page.locator("input[name=questions]").all():
        box.set_checked(box.get_attribute("value") in wanted)


def expect_chosen(page: Page, pks) -> None:
    expect(page.locator("input[name=questions]:checked")).to_have_count(len(pks))
    for pk in pks:
        expect(page.locator(f"input[name=questions][value='{pk}']")).to_be_checked()
