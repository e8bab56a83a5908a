"""Files made from a finalised pay run: register, payment files (NACHA, ISO 20022 pain.001) and the
GL journal. The modules here are pure functions over the plain dataclasses in `types`: no Django,
so they are fast and tested in isolation; `payroll.services.outputs` feeds them from the database.
"""
