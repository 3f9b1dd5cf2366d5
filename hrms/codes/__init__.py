"""Official code lists (ethnic groups, religions, qualifications, provinces, communes).

Seeded by migration ``0003_code_lists`` and kept by administrators afterwards: entries are
added or deactivated, never deleted or recoded, so every code stored in a dossier stays readable.
"""
