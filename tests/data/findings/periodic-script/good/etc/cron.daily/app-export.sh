#!/bin/sh
/opt/app/bin/export --all
