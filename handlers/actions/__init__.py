from . import article_buttons, export, feedback, retry


def register(app, services) -> None:
    article_buttons.register(app, services)
    export.register(app, services)
    retry.register(app, services)
    feedback.register(app, services)
