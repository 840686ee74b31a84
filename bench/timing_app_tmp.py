import time, logging, os
from celery.signals import worker_process_init, task_prerun, task_postrun
from workbench.celery import app
log = logging.getLogger("benchtiming")
_t = {}
@worker_process_init.connect
def _no_cross_linking(**kwargs):
    import matching.tasks
    matching.tasks.claims_match_enqueue = lambda **kwargs: None
@task_prerun.connect
def pre(task_id=None, **kw):
    _t[task_id] = (time.time(), time.process_time())
@task_postrun.connect
def post(task_id=None, args=None, **kw):
    t0, c0 = _t.pop(task_id)
    log.warning("TIMING %s start=%.3f wall=%.3f cpu=%.3f ids=%s", os.getpid(), t0, time.time()-t0, time.process_time()-c0, (args[0][0] if args else None))
