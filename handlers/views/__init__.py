from . import dispatch_modal, keyword_modal, settings_modal


def register(app, services) -> None:
    dispatch_modal.register(app, services)
    keyword_modal.register(app, services)
    settings_modal.register(app, services)
