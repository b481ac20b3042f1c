# expect: DF001 DF003
FROM python:3.11
WORKDIR /code
# expect: DF010
ENV SECRET_KEY=django-insecure-8f#2x
COPY requirements.txt .
# expect: DF013
RUN pip install -r requirements.txt
COPY . .
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
