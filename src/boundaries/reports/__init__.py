"""Reports: the governors' report for a school or a trust (figures, charts, CSV and PDF) and the
subject access export for one person.

Plain Python over the store; the web routes and the CLI are thin edges over these modules.
"""
