# Two commands on a fresh machine (python3, git and make): `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO ?= $(or $(TMPDIR),/tmp)/rustscout-demo

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Build the sample repositories (with their git history) from fixtures/, scan them, explain the
# top candidate, and compare a pull request on the Python sample (its gate fails on purpose: exit 2).
demo: $(STAMP)
	rm -rf $(DEMO) && mkdir -p $(DEMO)
	$(BIN)/python tests/gitscript.py fixtures/git/tidewater.yaml $(DEMO)/tidewater
	$(BIN)/rustscout scan $(DEMO)/tidewater --top 10 --json $(DEMO)/tidewater.json
	$(BIN)/rustscout explain wire/codec.py $(DEMO)/tidewater --quiet
	@echo "--- the same scan with a profile of a workload (cProfile; code we wrote, fixtures/evidence/tidewater):"
	PYTHONPATH=$(DEMO)/tidewater $(BIN)/python -m cProfile -o $(DEMO)/tidewater.prof \
		fixtures/evidence/tidewater/workload.py > /dev/null
	$(BIN)/rustscout scan $(DEMO)/tidewater --top 8 --profile $(DEMO)/tidewater.prof \
		--json $(DEMO)/tidewater-measured.json
	$(BIN)/python tests/gitscript.py --extend fixtures/git/tidewater-pr.yaml $(DEMO)/tidewater
	@echo "--- a pull request that compiles a regex per call; the gate below is meant to fail (exit 2):"
	$(BIN)/rustscout pr $(DEMO)/tidewater --base main --quiet --comment-file $(DEMO)/tidewater-pr.md \
		--sarif $(DEMO)/tidewater-pr.sarif --fail-on new-fix; test $$? -eq 2
	@echo "--- the gate failed as intended: that is the demonstration (CI would stop here); the comment it wrote:"
	@cat $(DEMO)/tidewater-pr.md
	$(BIN)/python tests/gitscript.py fixtures/git/quarry.yaml $(DEMO)/quarry
	$(BIN)/rustscout scan $(DEMO)/quarry --top 10 --json $(DEMO)/quarry.json
	@echo "JSON reports: $(DEMO)/tidewater.json $(DEMO)/quarry.json; pull request comment: $(DEMO)/tidewater-pr.md"

test: $(STAMP)
	sh .ci/system-packages
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_scan.py --synthetic 400x2000

clean:
	rm -rf $(VENV) .pytest_cache
