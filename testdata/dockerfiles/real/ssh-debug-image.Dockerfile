# expect: DF003
FROM ubuntu:24.04
# expect: DF013
RUN apt-get update && apt-get install -y openssh-server sudo \
    && mkdir /var/run/sshd
# expect: DF014
RUN echo 'root:password' | chpasswd && echo "ROOT_PASSWORD=x" > /dev/null
# expect: DF009
EXPOSE 22
# expect: DF010
ENV ROOT_PASSWORD=password
# expect: DF001
USER root
CMD ["/usr/sbin/sshd", "-D"]
