FROM python:3.11-slim
WORKDIR /srv
COPY pyproject.toml README.md ./
COPY app ./app
COPY cypher ./cypher
COPY loaders ./loaders
COPY neo4j_runtime ./neo4j_runtime
RUN pip install --no-cache-dir .
EXPOSE 8000
CMD ["uvicorn", "app.main:create_app", "--factory", "--host", "0.0.0.0", "--port", "8000"]
