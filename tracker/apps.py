"""App config of the requirements domain."""
from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Requirements"

    def ready(self) -> None:
        from cables.views import CABLE_PAGE_PARTS
        from tracker import audit, on_import  # noqa: F401  (connect their receivers)
        from tracker.response_views import cable_requirements

        if cable_requirements not in CABLE_PAGE_PARTS:
            CABLE_PAGE_PARTS.append(cable_requirements)
