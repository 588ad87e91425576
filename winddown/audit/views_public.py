"""The public checkpoint pages: anyone may keep a copy of each signed checkpoint of the
audit log, so that the log cannot later be rewritten without the copies disagreeing."""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from winddown.audit.keys import public_key_hex
from winddown.audit.selectors import checkpoint_by_id, checkpoints_published
from winddown.core.file_responses import file_response


def checkpoint_document(checkpoint) -> dict:
    return {
        "statement": checkpoint.statement,
        "signature": checkpoint.signature,
        "public_key": checkpoint.public_key,
        "timestamp_provider": checkpoint.timestamp_provider,
        "timestamp_token": checkpoint.timestamp_token,
    }


def checkpoint_list(request):
    page = Paginator(checkpoints_published(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/public/checkpoints.html",
        {"page": page, "public_key": public_key_hex()},
    )


def checkpoint_file(request, checkpoint_id: int) -> HttpResponse:
    checkpoint = checkpoint_by_id(checkpoint_id)
    if checkpoint is None:
        raise Http404("没有这个检查点")
    body = json.dumps(checkpoint_document(checkpoint), ensure_ascii=False, indent=2)
    return file_response(
        body.encode(),
        content_type="application/json",
        filename=f"winddown-audit-checkpoint-{checkpoint.seq}.json",
        disposition="attachment",
        cache="public, max-age=300",
    )
