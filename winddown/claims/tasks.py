"""Background work for claims registers (runs in the task worker: `manage.py db_worker`)."""

from django.utils import timezone
from django_tasks import task

from winddown.audit.services import Actor
from winddown.claims.models import ImportStatus, RegisterImport
from winddown.claims.services import register_import, stale_imports_fail
from winddown.core import private_files, processes


@task()
def process_register_import(import_id: int) -> str:
    stale_imports_fail()
    job = RegisterImport.objects.select_related("institution", "uploaded_by").get(pk=import_id)
    if job.status != ImportStatus.QUEUED:
        return job.status  # already handled: a re-delivered task does nothing twice
    job.status = ImportStatus.RUNNING
    job.started_at = timezone.now()
    job.runner = processes.this_runner()
    job.save(update_fields=["status", "started_at", "runner"])
    path = job.stored_path
    try:
        result = register_import(
            institution=job.institution,
            open_source=job.upload.open,
            source_name=job.source_name,
            user=job.uploaded_by,
            actor=Actor(job.uploaded_by_id, job.uploaded_by.audit_label),
        )
    except Exception:
        job.status = ImportStatus.FAILED
        job.message = "处理时发生内部错误，未保存任何数据，请重新上传；如仍失败请联系管理员"
        raise
    else:
        job.error_count = result.error_count
        job.errors = [error.as_dict() for error in result.errors]
        if result.ok:
            job.status = ImportStatus.SUCCEEDED
            job.version = result.version
            job.message = f"校验通过，已生成第{result.version.number}版（待启用）"
        else:
            job.status = ImportStatus.FAILED
            job.message = f"登记表有 {result.error_count} 处错误，未保存任何数据"
    finally:
        private_files.delete(path)
        job.stored_path = ""
        job.finished_at = timezone.now()
        job.save()
    return job.status
