# clipper — the two commands a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench fuzz clean system-check ocr-tools browser-check pdf-tools browse

demo: $(STAMP) system-check
	$(BIN)/clipper demo --output output

test: $(STAMP) system-check ocr-tools browser-check pdf-tools
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check clipper tests bench

bench: $(STAMP)
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

fuzz: $(STAMP)
	$(BIN)/pytest -q -m slow

$(STAMP): pyproject.toml deploy/encoder-requirements.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-deps --require-hashes -r deploy/encoder-requirements.txt
	$(BIN)/pip install --quiet -e '.[test,dask]'
	touch $(STAMP)

# WeasyPrint needs Pango from the system; say which package when it is missing.
system-check: $(STAMP)
	@$(BIN)/python -c "import weasyprint" 2>/dev/null || { \
	  echo "WeasyPrint cannot load Pango. On Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"; \
	  exit 1; }

# `clipper import` reads scanned pages with Tesseract and its Kazakh and Russian models
# (Debian packages); installed here when run as root, otherwise named.
OCR_MODELS := kaz rus
ocr-tools:
	@missing=""; command -v tesseract >/dev/null || missing=" tesseract-ocr"; \
	models=$$(tesseract --list-langs 2>/dev/null); \
	for model in $(OCR_MODELS); do \
	  echo "$$models" | grep -qx $$model || missing="$$missing tesseract-ocr-$$model"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing$$missing (OCR of scanned pages)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "OCR of scanned pages needs Tesseract. On Debian/Ubuntu, as root: apt-get install$$missing"; \
	    exit 1; \
	  fi; \
	fi

# The workspace's browser test drives Debian's chromium through chromium-driver
# (nothing is downloaded when the test runs); installed here, as root, where missing.
browser-check:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y --no-install-recommends chromium chromium-driver \
	    || { apt-get update && apt-get install -y --no-install-recommends chromium chromium-driver; }; \
	  else echo "The browser test needs chromium and chromium-driver: sudo apt-get install chromium chromium-driver"; exit 1; fi; }

# The tests read the digests' text as a reader would copy it (poppler's pdftotext);
# installed here, as root, where missing.
pdf-tools:
	@command -v pdftotext >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get install -y -qq --no-install-recommends poppler-utils \
	    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends poppler-utils; }; \
	  else echo "The tests need pdftotext: sudo apt-get install poppler-utils"; exit 1; fi; }

browse: $(STAMP)
	$(BIN)/clipper browse --db output/demo.db

clean:
	rm -rf $(VENV) output/*.pdf output/*.html output/*.db*
