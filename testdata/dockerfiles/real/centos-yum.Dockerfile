# expect: DF003
FROM centos:7
# expect: DF013 DF017
RUN yum install -y --nogpgcheck epel-release httpd
# expect: DF014 DF019
RUN yum -y update
EXPOSE 80
USER apache
