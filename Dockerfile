# GenLab in a container: one process; run several behind deploy/nginx.conf for a large class.
#   docker build -t genlab .
#   docker run -p 8501:8501 genlab
# (Not built in this project's CI: no Docker engine runs there.)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 GENLAB_MAX_JOBS=2
WORKDIR /app

# torch's CPU build from its own index: PyPI's default Linux wheel pulls several GB of CUDA.
COPY requirements.txt .
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0 \
 && pip install -r requirements.txt

COPY . .
RUN useradd --create-home genlab && chown -R genlab /app
USER genlab

EXPOSE 8501
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health')"
CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
