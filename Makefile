# csp — the two commands a new user needs are `make demo` and `make test`; both do their own set-up.
SWIFT        ?= swift
PIPELINE     ?= Pipelines/central-bedfordshire-2009.yaml
REALDATA     ?= ../shared/realdata
OUTPUT       ?= Output
STAGE        ?=
RUN          ?= latest
SCALE        ?= 1
RELEASE_BIN   = .build/release
CSP           = $(RELEASE_BIN)/csp

.PHONY: all build setup setup-postgres setup-gdal demo demo-real national test mutation bench stage fixtures clean

all: build

## setup: system libraries the build needs (libxml2-dev through pkg-config), installed with apt-get when missing.
setup:
	@if ! pkg-config --exists libxml-2.0 2>/dev/null; then \
	  echo "installing libxml2-dev and pkg-config (apt-get)"; \
	  SUDO=""; if [ "$$(id -u)" != "0" ]; then SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml2-dev pkg-config >/dev/null; \
	fi
	@pkg-config --exists libxml-2.0 || { echo "libxml2-dev is still missing: install it (apt-get install libxml2-dev pkg-config)"; exit 1; }

## setup-postgres: PostgreSQL and PostGIS from Debian's packages (postgresql, postgresql-<major>-postgis-3), installed with
## apt-get when initdb or PostGIS's extension is missing; for Tests/Warehouse/postgres.sh (make test). Debian 12: 15.
setup-postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then \
	  echo "installing postgresql and PostGIS (apt-get)"; \
	  SUDO=""; if [ "$$(id -u)" != "0" ]; then SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null && \
	  MAJOR=$$(ls /usr/lib/postgresql | sort -V | tail -1) && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-$$MAJOR-postgis-3 >/dev/null; \
	fi
	@ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || { echo "PostGIS is still missing: apt-get install postgresql postgresql-15-postgis-3"; exit 1; }

## setup-gdal: GDAL's command-line tools (Debian's gdal-bin: ogrinfo), installed with apt-get when ogrinfo is missing;
## for Tests/Warehouse/publish.sh (make test), which opens the run's GeoPackage with GDAL. Not needed to build or run csp.
setup-gdal:
	@if ! command -v ogrinfo >/dev/null 2>&1; then \
	  echo "installing gdal-bin (apt-get)"; \
	  SUDO=""; if [ "$$(id -u)" != "0" ]; then SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gdal-bin >/dev/null; \
	fi
	@command -v ogrinfo >/dev/null 2>&1 || { echo "ogrinfo is still missing: apt-get install gdal-bin"; exit 1; }

## build: release binaries in .build/release (csp, csp-ingest, ..., csp-fixtures).
build: setup
	$(SWIFT) build -c release

## demo: the main job — all five stages on the committed fixtures; prints where the report is.
demo: build
	$(CSP) key init --if-missing --pipeline $(PIPELINE) --output $(OUTPUT)
	$(CSP) run --pipeline $(PIPELINE) --output $(OUTPUT)
	@echo; echo "Run folder: $(OUTPUT)/$$(sed -n 's/^name: *//p' $(PIPELINE))/latest"
	@echo "Report:     $(OUTPUT)/$$(sed -n 's/^name: *//p' $(PIPELINE))/latest/05-assess/report.html"
	@echo "Audit page: $(OUTPUT)/$$(sed -n 's/^name: *//p' $(PIPELINE))/latest/audit.html"

## demo-real: all five stages on every month folder of the data.police.uk archive in ../shared/realdata
## (REALDATA=... for another copy; POLICE_UK=DIR for a folder of YYYY-MM/ month folders downloaded from data.police.uk;
## COUNCIL=luton or COUNCIL=bedford for another council).
COUNCIL      ?= central-bedfordshire
POLICE_UK    ?=
demo-real: build
	$(CSP) run --pipeline Pipelines/police-uk-$(COUNCIL).yaml --output $(OUTPUT) --set realdata=$(REALDATA) $(if $(POLICE_UK),--set police_uk=$(POLICE_UK))
	@echo; echo "Report:     $(OUTPUT)/police-uk-$(COUNCIL)/latest/05-assess/report.html"
	@echo "Coverage:   $(OUTPUT)/police-uk-$(COUNCIL)/latest/01-ingest/coverage.csv"
	@echo "Audit page: $(OUTPUT)/police-uk-$(COUNCIL)/latest/audit.html"

## national: every force's street files in the national month folders of ../shared/realdata (POLICE_UK=DIR for others)
## on the wards of every council of England and Wales, each record with its CSP and force (README, "National run");
## then the independent ward and old-district check (Tests/Reference/national_wards_reference.py, shapely).
national: build
	$(CSP) run --pipeline Pipelines/police-uk-england-wales.yaml --output $(OUTPUT) --set realdata=$(REALDATA) $(if $(POLICE_UK),--set police_uk=$(POLICE_UK))
	python3 Tests/Reference/national_wards_reference.py $(OUTPUT)/police-uk-england-wales/latest --realdata $(REALDATA)
	@echo; echo "Per-CSP table: $(OUTPUT)/police-uk-england-wales/latest/05-assess/tables/csp-crime-rates.csv"
	@echo "Coverage:      $(OUTPUT)/police-uk-england-wales/latest/01-ingest/coverage.csv"

## test: every test (Swift Testing, debug build; the hostile-input process tests run the release csp, built first;
## pip-installs shapely, scipy, pyyaml, pyproj and statsmodels for the reference checks if missing), the fault matrix on the release binary (Tests/Faults/run.sh:
## kills, full disks, read-only output, vanished inputs, tampering; mounts need root), then the CSV and XML fuzzers for
## FUZZ_SECONDS each (default 20), then the published tables loaded into a real PostgreSQL server with PostGIS
## (Tests/Warehouse/postgres.sh; installs the packages through setup-postgres when missing), then the run's GeoPackage
## opened by GDAL and `csp publish` into a real server: refusals, two loads (the second a no-op), a killed load
## (Tests/Warehouse/publish.sh; gdal-bin through setup-gdal).
test: setup setup-postgres setup-gdal
	@python3 -c 'import shapely, scipy, yaml, pyproj, statsmodels' 2>/dev/null || python3 -m pip install --quiet shapely scipy pyyaml pyproj statsmodels >/dev/null 2>&1 || \
	  echo "note: shapely, scipy, pyyaml, pyproj or statsmodels could not be installed (offline?): the geocode, period, LFB and stop-and-search reference checks will fail naming it"
	$(SWIFT) build -c release
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	CSP=$(CSP) bash Tests/Faults/run.sh
	bash Tests/Fuzz/run.sh
	CSP=$(CSP) bash Tests/Warehouse/postgres.sh
	CSP=$(CSP) bash Tests/Warehouse/publish.sh

## mutation: the mutation check (not part of test: it is slow): each one-line defect of Tests/Mutation/defects.tsv is
## applied in turn, the tests named for it run, the file restored; prints killed/survived per defect and the score.
## DEFECTS="id id" for some of them.
DEFECTS      ?=
mutation: setup
	bash Tests/Mutation/run.sh $(DEFECTS)

## stage: rerun one stage on the inputs of a run: make stage STAGE=clean [RUN=latest]
stage: build
	@test -n "$(STAGE)" || { echo "usage: make stage STAGE=ingest|clean|geocode|normalise|assess [RUN=latest]"; exit 64; }
	$(CSP) stage $(STAGE) --pipeline $(PIPELINE) --output $(OUTPUT) --run $(RUN)

## fixtures: regenerate the committed fixtures (deterministic; the tests check they match).
fixtures: build
	$(RELEASE_BIN)/csp-fixtures

## bench: readers and stages at 1M records (SCALE=10 for 10M), side by side with DuckDB; results in Output/bench.
bench: build
	bash Tests/Benchmarks/run.sh $(SCALE)

clean:
	rm -rf .build
