# The web UI, built with the npm registry's packages (ui/package-lock.json) into app/static/ui.
FROM node:20-slim AS ui
WORKDIR /build/ui
COPY ui/package.json ui/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY ui ./
# The province table the UI bundles is the API's own.
COPY app/identifiers/provinces.json ../app/identifiers/provinces.json
RUN npm run build

# The API, serving the UI at /ui.
FROM python:3.11-slim
WORKDIR /srv
COPY pyproject.toml README.md ./
COPY app ./app
COPY --from=ui /build/app/static/ui ./app/static/ui
COPY cypher ./cypher
COPY loaders ./loaders
COPY evaluation ./evaluation
COPY neo4j_runtime ./neo4j_runtime
RUN pip install --no-cache-dir .
EXPOSE 8000
# uvicorn's worker processes (one per core the container gets; each keeps its own driver).
ENV WEB_CONCURRENCY=2
CMD ["uvicorn", "app.main:create_app", "--factory", "--host", "0.0.0.0", "--port", "8000"]
