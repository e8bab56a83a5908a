"""Compliance writes: records, policies, reminders, exports, retention."""
