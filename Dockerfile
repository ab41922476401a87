# The Plekwijzer image: one image for the migrate step, the web workers and the worker.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY directory directory
COPY providers providers
COPY search search
COPY sync sync
COPY web web
RUN pip install --no-cache-dir . && useradd --system plekwijzer
USER plekwijzer
ENV PLEKWIJZER_HOST=0.0.0.0
EXPOSE 8000
CMD ["plekwijzer", "serve"]
