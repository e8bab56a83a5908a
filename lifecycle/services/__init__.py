"""Writes of the lifecycle app, by area: `templates` (versioned checklist templates),
`checklists` (starting checklists, working tasks), `flows` (hire, offboard, scheduled status
changes), `digest` (the morning email)."""
