from .models import AuditEntry


def audit_record(
    *, actor, verb: str, target, campaign=None, message: str = "", data: dict | None = None
) -> AuditEntry:
    """Writes one audit entry. Call it inside the transaction of the change it records."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        campaign=campaign,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        message=message,
        data=data or {},
    )
