"""The desk's background tasks (django-tasks; ``django.tasks`` from Django 6 on).

One task runs any BackgroundJob (articles/background.py): the job's row
holds what to do, so the task's own arguments stay a number that every
backend can carry.
"""

from django_tasks import task

from articles import background


@task()
def run_job(job_id):
    return background.run(job_id)
