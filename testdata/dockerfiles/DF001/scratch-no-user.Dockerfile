# expect: DF001
FROM scratch
HEALTHCHECK NONE
COPY app /app
