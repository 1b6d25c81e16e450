from . import article_buttons, export, feedback, links, retry, short_copy, wordpress


def register(app, services) -> None:
    article_buttons.register(app, services)
    export.register(app, services)
    retry.register(app, services)
    short_copy.register(app, services)
    wordpress.register(app, services)
    feedback.register(app, services)
    links.register(app, services)
