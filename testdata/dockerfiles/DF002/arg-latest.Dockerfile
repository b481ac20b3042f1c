ARG BASE=python:latest
# expect: DF002
FROM ${BASE}
RUN pip install --no-cache-dir flask
USER 1000
