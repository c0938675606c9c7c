"""App config of the requirements domain."""
from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Requirements"

    def ready(self) -> None:
        from tracker import audit, on_import  # noqa: F401  (connect their receivers)
