"""Who may see the statistics: personnel officers and unit heads of their subtree (heads already
read the dossiers of their subtree, so its counts tell them nothing new), administrators of
everything. Staff see none."""

from __future__ import annotations

from hrms.core.security import Actor, Permission, Scope


def can_view_statistics(actor: Actor, unit_path: str) -> bool:
    return Scope.for_actor(actor, Permission.REPORTS_VIEW).covers(unit_path)
