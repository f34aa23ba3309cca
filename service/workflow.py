"""Claim statuses and the moves allowed between them."""

UNVERIFIED = "unverified"
IN_REVIEW = "in_review"
RETRACTED = "retracted"
VERDICTS = ("true", "mostly_true", "half_true", "mostly_false", "false", "pants_on_fire", "unproven")

STATUSES = (UNVERIFIED, IN_REVIEW, *VERDICTS, RETRACTED)
