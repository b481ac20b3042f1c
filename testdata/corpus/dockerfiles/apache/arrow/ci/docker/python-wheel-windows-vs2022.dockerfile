# Licensed to the Apache Software Foundation (ASF) under one
# or more contributor license agreements.  See the NOTICE file
# distributed with this work for additional information
# regarding copyright ownership.  The ASF licenses this file
# to you under the Apache License, Version 2.0 (the
# "License"); you may not use this file except in compliance
# with the License.  You may obtain a copy of the License at
#
#   http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing,
# software distributed under the License is distributed on an
# "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY
# KIND, either express or implied.  See the License for the
# specific language governing permissions and limitations
# under the License.

# NOTE: You must update PYTHON_WHEEL_WINDOWS_IMAGE_REVISION in .env
# when you update this file.

ARG base
FROM ${base}

ARG python=3.11

ARG python_variant_suffix=""
ENV PYTHON_VERSION=${python}${python_variant_suffix}

RUN pymanager install %PYTHON_VERSION%

RUN py -%PYTHON_VERSION% -m pip install -U pip setuptools

COPY python/requirements-wheel-build.txt C:/arrow/python/
RUN py -%PYTHON_VERSION% -m pip install -r C:/arrow/python/requirements-wheel-build.txt

ENV PYTHON_CMD="py -${python}${python_variant_suffix}"

ENV PYTHON=${python}
