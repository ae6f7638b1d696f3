"""Who came to a session: the roll call, QR check-in and attendance sheets.

* ``roll_call`` — the session's registrants with a seat, in Turkish alphabetical order, each
  present or not (marking goes through ``services.mark_attendance`` / ``unmark_attendance``);
* ``check_in`` — a scanned or typed registration code into a clear answer (checked in, already
  checked in, another activity's code, on the waiting list, cancelled, unknown), and giving a
  seat at the door to someone on the waiting list;
* ``columns`` — an attendance sheet (XLSX/CSV) read by the directory's importer, its header
  found and what each column holds guessed;
* ``sheets`` — the sheet's rows, each matched to a registration of the activity: by code, then
  e-mail, then phone, then name;
* ``sheet_import`` — the sheet kept as uploaded, and the all-or-nothing service that marks the
  matched rows present and adds the walk-ins staff chose;
* ``forms`` — the upload, column and per-row decision forms of the sheet pages.

Every mark writes (or withdraws) the registration's one ledger delivery in the same transaction.
"""
