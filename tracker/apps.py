"""App config of the requirements domain."""
from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Requirements"

    def ready(self) -> None:
        from cables.views import CABLE_PAGE_PARTS, CABLE_PARAGRAPH_NOTES
        from tracker import audit, on_import  # noqa: F401  (connect their receivers)
        from tracker.response_views import cable_requirements, paragraph_links

        if cable_requirements not in CABLE_PAGE_PARTS:
            CABLE_PAGE_PARTS.append(cable_requirements)
        if paragraph_links not in CABLE_PARAGRAPH_NOTES:
            CABLE_PARAGRAPH_NOTES.append(paragraph_links)
