"""Where positions meet people: placement in approved positions, competency assessments and
the gaps between required and assessed levels."""
