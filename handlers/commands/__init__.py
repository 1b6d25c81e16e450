from . import seo_fr


def register(app, services) -> None:
    seo_fr.register(app, services)
