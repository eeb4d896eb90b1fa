"""Running the background worker in the test's own process and transaction."""

from django_tasks_db.management.commands.db_worker import Worker


def run_worker():
    """Run every queued task, as `manage.py db_worker --batch` would, then return."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    ).run()
