"""Importing rows from a partner's CSV or XLSX file: all rows or none, each bad row named.

One machinery for every feature that imports (expenditure, the equipment register): `tables` reads a file
into a header and rows (its kind found from its bytes, a CSV's encoding detected or chosen), `rows` checks
the cells with the rules of typed input and gathers each problem with its row, column and reason into a
`Preview`, `forms` builds the column-mapping form, `files` keeps the uploaded file between the steps, and the
templates `imports/_macros.html` draw the steps upload → mapping → preview → confirmation. A feature says
which fields it has, how a row becomes its object, and how the good rows are saved.
"""
