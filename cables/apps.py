"""App config of the cable store."""
from django.apps import AppConfig


class CablesConfig(AppConfig):
    name = "cables"
    verbose_name = "Cables"
