# Nano Server runs as ContainerUser by default: not an administrator.
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
COPY app.exe /app/app.exe
HEALTHCHECK NONE
ENTRYPOINT ["C:\\app\\app.exe"]
