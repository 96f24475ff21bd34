"""People in a school as screening and the registers see them: pupils, staff, parents."""
