# The backend image: the API, the migrations and the CLI, with LibreOffice (Writer, no GUI)
# and Liberation Serif 2 (Times New Roman's metrics, Vietnamese letters) for reports as PDF.
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 DATA_DIR=/var/lib/lantoa
RUN apt-get update \
    && apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/lantoa
COPY pyproject.toml README.md alembic.ini ./
COPY backend ./backend
COPY alembic ./alembic
COPY frontend ./frontend
RUN pip install --no-cache-dir -e . && useradd --system --home /var/lib/lantoa lantoa \
    && mkdir -p /var/lib/lantoa && chown lantoa /var/lib/lantoa
USER lantoa
EXPOSE 8000
CMD ["lantoa", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "4"]
