# escape=`
# expect: DF001
FROM mcr.microsoft.com/dotnet/framework/runtime:4.8.1-windowsservercore-ltsc2022@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
WORKDIR /app
COPY app/ ./
SHELL ["powershell", "-Command"]
HEALTHCHECK NONE
ENTRYPOINT ["app.exe"]
