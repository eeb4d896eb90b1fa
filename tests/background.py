"""Running the background worker in the test's own process and transaction."""

from unittest import mock

from django_tasks_db.management.commands.db_worker import Worker


def run_worker():
    """Run every queued task, as `manage.py db_worker --batch` would, then return.

    The worker closes stale connections between tasks, as Django does between
    requests; inside a test's transaction that would close the test's own
    connection, so it is left out here, as the test client leaves it out.
    """
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        worker.run()
