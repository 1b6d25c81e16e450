from . import home, messages, uninstall


def register(app, services) -> None:
    messages.register(app, services)
    home.register(app, services)
    uninstall.register(app, services)
