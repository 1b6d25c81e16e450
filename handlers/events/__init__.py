from . import home, messages


def register(app, services) -> None:
    messages.register(app, services)
    home.register(app, services)
