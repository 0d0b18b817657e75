# The dashboard's image: the viewer and analyst replicas and the one-off commands of compose.yaml. A container runs
# `python -m deploy.replica`, the command `python -m deploy.serve` starts for each replica process in the tests;
# its settings come from the environment (deploy/streamlit.env and compose.yaml), none are baked in here.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# The one-page brief (reports/brief.py, and its button on the overview): Pango for WeasyPrint, the DejaVu fonts its CSS
# names (every Vietnamese letter) and Debian's Chromium, which kaleido drives to draw the chart (never downloaded).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core chromium \
    && rm -rf /var/lib/apt/lists/*
ENV CHROMIUM_PATH=/usr/bin/chromium

# The pinned runtime requirements first: the layer is rebuilt only when they change.
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# A user without privileges; the warehouse folder is the only place it writes (a volume in compose).
RUN useradd --system --uid 10001 --create-home --home-dir /home/poverty --shell /usr/sbin/nologin poverty \
    && mkdir -p /warehouse \
    && chown poverty /warehouse
USER poverty

ENV POVERTY_DB=/warehouse/baclieu.duckdb \
    POVERTY_REPLICA_ROLE=viewer \
    STREAMLIT_SERVER_PORT=8501
EXPOSE 8501

# The replica's own /_stcore/health (/analyst/_stcore/health for the analyst), on loopback.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-m", "deploy.replica", "--check"]

CMD ["python", "-m", "deploy.replica"]
