"""``score template``: the actuals skeleton an evaluator fills in, from what targets.json says."""

from __future__ import annotations

from scoring.columns import Frames


def template(inputs: Frames) -> dict:
    """The actuals skeleton of what targets.json says: ids, names and targets for reference, empty
    actuals."""
    projects = []
    for project in inputs.projects.itertuples():
        rows = inputs.indicators[inputs.indicators["project"] == project.project]
        projects.append({
            "id": project.id, "name": project.name,
            "budget": {"executed": None, "unit": project.budget_unit},
            "indicators": [{"id": row.id if row.id is not None else str(row.position + 1),
                            "level1": row.level1, "level2": row.level2, "name": row.name,
                            "target": row.target, "actual": None, "reason": None, "score": None}
                           for row in rows.itertuples()],
        })
    return {"projects": projects}
