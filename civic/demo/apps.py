from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "civic.demo"
    label = "demo"
    verbose_name = "Demo data"
