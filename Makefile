# Kaynak: `make run` starts the site with demo data; `make test` runs every check.
# Only Python >= 3.12 and git are needed: uv is bootstrapped into .tools/ when it is missing.

SHELL := /bin/sh
VENV := .venv
BIN := $(VENV)/bin
UV_BOOTSTRAP := .tools/uv
# Use the interpreter found here; never download one.
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test setup lint typecheck pytest messages clean

setup:
	@set -e; \
	uv=$$(command -v uv 2>/dev/null || true); \
	if [ -z "$$uv" ] || ! "$$uv" --version >/dev/null 2>&1; then \
	    uv=$(UV_BOOTSTRAP)/bin/uv; \
	    if [ ! -x "$$uv" ]; then \
	        python=$$(scripts/find-python); \
	        echo "Bootstrapping uv with $$python into $(UV_BOOTSTRAP)"; \
	        "$$python" -m venv $(UV_BOOTSTRAP); \
	        $(UV_BOOTSTRAP)/bin/python -m pip install --quiet --disable-pip-version-check uv; \
	    fi; \
	fi; \
	if [ ! -x $(BIN)/python ] || ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    python=$$(scripts/find-python); \
	    "$$uv" venv --quiet --allow-existing --python "$$python" $(VENV); \
	fi; \
	UV_PROJECT_ENVIRONMENT=$(VENV) "$$uv" sync --quiet --locked --python $(BIN)/python; \
	$(BIN)/kaynak compiletranslations --verbosity 0

run: setup
	$(BIN)/kaynak run

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck:
	$(BIN)/mypy kaynak bench

pytest:
	$(BIN)/pytest $(PYTEST_ARGS)

test: setup
	@$(MAKE) --no-print-directory lint typecheck pytest

# Extract the strings of every catalogue again (needs GNU gettext); then translate the new
# entries of the .po files and `make setup` compiles them.
messages:
	@set -e; apps=$$(dirname kaynak/*/locale); set -f; for dir in kaynak $$apps; do \
	    ignore=""; [ "$$dir" = kaynak ] && for app in $$apps; do \
	        ignore="$$ignore -i $${app#kaynak/}/*"; done; \
	    (cd $$dir && PYTHONSAFEPATH=1 PYTHONPATH=$(CURDIR) DJANGO_SETTINGS_MODULE=kaynak.settings \
	        $(CURDIR)/$(BIN)/python -m django makemessages -l tr --no-location \
	        -i "*/tests/*" -i "tests/*" -i "browser_tests/*" -i "demo_site/*" $$ignore); \
	done

clean:
	rm -rf $(VENV) .tools .mypy_cache .pytest_cache .ruff_cache
