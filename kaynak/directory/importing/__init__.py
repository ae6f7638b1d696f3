"""Importing organisations and their contacts from spreadsheets (CSV or XLSX).

The steps, one module each:

* ``reading`` — the file's bytes into a ``Sheet`` (header and rows of text): the encoding found
  (UTF-8, Windows-1254 …), mojibake repaired, the delimiter of a CSV guessed, merged cells of an
  XLSX filled in, a title row above the header skipped;
* ``mapping`` — which column holds which field, guessed from the headers in English or Turkish;
* ``validation`` — each row's values checked and cleaned (province, e-mail, phone, names), with
  a problem per bad value that is shown in the reader's language;
* ``planning`` — what importing would do: each row checked and resolved (a new organisation, the
  same as an earlier row's, or a known one); the preview shows it;
* ``apply`` — the uploaded file kept with its import, the column mapping, and the all-or-nothing
  import service with its row-by-row report;
* ``writing`` — the new rows and their audit entries inserted in bulk, a few statements for
  thousands of rows.

The command line (``kaynak directory resolve|import FILE``) and the staff import page use these.
"""
