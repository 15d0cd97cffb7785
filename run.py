"""Entry point: `gunicorn run:app` in production, `python run.py` for development."""
import os

from brokerage import create_app

app = create_app()

if __name__ == "__main__":
    from brokerage.notifications.delivery import start_background_delivery

    start_background_delivery(app)  # development only: `make run` delivers with no second command
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
